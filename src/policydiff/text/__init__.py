"""Text primitives every stage may use: Chinese numerals and number formatting (`numbers`), numbering labels
(`numbering`), document numbers (`docnumber`), character bigrams (`ngrams`). Imports nothing of policydiff."""
