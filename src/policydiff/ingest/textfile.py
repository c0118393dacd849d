"""Bytes → str for plain-text notices (and for web pages without a usable charset).

Order: an explicit encoding wins; then a byte-order mark; then strict UTF-8; then
charset-normalizer's guesses plus the Chinese fallbacks (GB18030, Big5), each decoded
strictly and kept only if the result reads like Chinese text rather than mojibake.
"""

from __future__ import annotations

import codecs
import re

from policydiff.errors import BinaryInputError, EncodingDetectionError

# GB18030 is a superset of GB2312 and GBK with the same byte values, so it never decodes worse.
_GB_FAMILY = {"gb2312", "gbk", "cp936", "gb18030", "euc_cn", "euccn", "ms936"}
# cp950 (Microsoft Big5) and Big5-HKSCS both extend Big5.
_BIG5_FAMILY = {"big5", "cp950", "big5hkscs", "big5-hkscs"}
_FALLBACKS = ("gb18030", "cp950", "big5hkscs")
# The fix of an undetectable encoding: the caller names it (the CLI: --encoding gb18030).
_NAME_IT: dict[str, str] = {"fix": "Name the encoding, e.g. gb18030.", "option": "encoding", "value": "gb18030"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Well-known binary formats, so the error can say what the file really is.
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF file", "rename it to .pdf"),
    (b"PK\x03\x04", "a ZIP container (.docx/.xlsx/.zip)", "if it is a Word file, rename it to .docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old binary Office/WPS file (.doc/.xls/.wps)", "open it in Word, WPS or LibreOffice and save it as .docx"),
    (b"\x89PNG", "a PNG image", "run OCR on it first, e.g. tesseract, and parse the text"),
    (b"\xff\xd8\xff", "a JPEG image", "run OCR on it first, e.g. tesseract, and parse the text"),
    (b"GIF8", "a GIF image", "run OCR on it first, e.g. tesseract, and parse the text"),
    (b"\x1f\x8b", "a gzip archive", "extract it first"),
    (b"Rar!", "a RAR archive", "extract it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "extract it first"),
)

# Characters a Chinese notice is made of: ASCII, ideographs, CJK and full-width punctuation,
# general punctuation, circled/Roman numerals, arrows, geometric shapes, common symbols.
_ALLOWED_RE = re.compile(
    "[\t\n\r\x20-\x7e\u00a0\u00a5\u00a7\u00a9\u00ae\u00b0\u00b1\u00b2\u00b3\u00b7\u00bc-\u00be\u00d7\u00f7"
    "\u2010-\u2027\u2030-\u205e\u2116\u2122\u2160-\u217f\u2190-\u21ff\u2200-\u22ff\u2460-\u24ff\u2500-\u257f"
    "\u25a0-\u25ff\u2605\u2606\u2e3a\u2e3b\u3000-\u303f\u3100-\u312f\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ufeff\uff01-\uffef]"
)
_SPACE_RE = re.compile(r"\s")
_IDEOGRAPH_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")

# The ~500 most frequent Chinese characters in simplified and traditional form. Real text is
# mostly made of them; GB bytes read as Big5 (or the reverse) give rare characters instead.
_COMMON_SIMPLIFIED = (
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日"
    "于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其"
    "种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代"
    "军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受"
    "光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流"
    "每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派"
    "满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁"
    "校读志飞观争究包组造落视济喜离虽坏兴切府费状适育职培训企质量标准推进实施健全完善加强提升推动建设服务创新融合评价管理制度体系机制"
    "规划支持鼓励引导落实深化改革发展工作单位责任有关部门人民政府办公室局委员会通知意见方案计划项目资金经费保障措施要求目标任务重点"
)
_COMMON_TRADITIONAL = (
    "這來國個說們為時會著過學對裡後麼當開無見經頭從動兩長樣現將與進點實種聲話兒給幾業間電門東聽氣關並內軍產萬體別處總場師書員華報馬"
    "張難數車應親記邊風戰許覺題統請愛讓認論義術結連遠資隊帶條變聯權該領傳紅決達辦運強區轉眾輕語滿寫識極黃臉錢黨設雙歷視濟離雖壞興"
    "費狀適導單據網專誰讀飛觀爭組廣議際則務職訓質準進實施健全完善強提升推動建設服務創新融評價管理制度體系機規劃支持鼓勵引導落深化"
    "改革發展工作單位責任有關部門人民政府辦公室局委員會通知意見方案計劃項目資金經費保障措施要求目標任重點貫徹於"
)
_COMMON_RE = re.compile("[" + "".join(sorted(set(_COMMON_SIMPLIFIED + _COMMON_TRADITIONAL))) + "]")

_MAX_BAD_RATIO = 0.02
# Control bytes other than tab and line ends; above this share of the bytes a file is binary.
_CONTROL_BYTES = bytes([*range(9), 11, 12, *range(14, 32), 127])
_MAX_CONTROL_SHARE = 0.05
_MIN_COMMON_RATIO = 0.2
_MIN_IDEOGRAPHS_FOR_RATIO = 8
_SAMPLE_CHARS = 100_000
_DETECT_BYTES = 512 * 1024


def decode_text(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode `data`; returns (text without BOM, codec name used). Raises InputError subclasses."""
    if encoding:
        return _decode_named(data, name, encoding)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _strip_bom(data.decode(codec)), codec
            except UnicodeDecodeError as exc:
                raise EncodingDetectionError(
                    f"{name}: starts with a {codec} byte-order mark but is not valid {codec} at byte {exc.start}; "
                    "cannot detect the text encoding.", **_NAME_IT
                ) from None
    check_not_binary(data, name)
    if b"\x00" in data:
        found = _try_bomless_utf16(data)
        if found is not None:
            return found
        # A few stray NUL or control bytes (a copy from a damaged file) are dropped and recorded by normalize;
        # only a file made largely of them is binary.
        controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
        if controls > _MAX_CONTROL_SHARE * len(data):
            first = data.index(b"\x00")
            raise BinaryInputError(
                f"{name}: contains NUL bytes (first at byte {first}) and {controls / len(data):.0%} of its bytes are NUL or control bytes, "
                "so it is a binary file, not text. Give a .txt/.md notice saved as text (UTF-8 or GB18030), "
                "or a .docx/.pdf/.html file with its real extension."
            )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and "end of data" in exc.reason:
            # A download or `head -c` cut the last character in half: keep everything before it.
            return data[: exc.start].decode("utf-8"), "utf-8"
    best: tuple[float, int, str, str] | None = None
    for order, codec in enumerate(_candidates(data)):
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        score = plausibility(text)
        if score is None:
            continue
        # Higher score wins; on a tie the earlier candidate (GB before Big5) wins.
        key = (score, -order, codec, text)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        broken = data.decode("utf-8", errors="replace").count("\ufffd")
        if broken <= max(3, len(data) // 10000):
            first = _first_invalid_utf8(data)
            raise EncodingDetectionError(
                f"{name}: is UTF-8 except for {broken} invalid byte sequence(s) (first at byte {first}), so it is damaged "
                "or mixes encodings; cannot detect the text encoding. Re-save it as UTF-8 in an editor, or name the encoding.",
                **_NAME_IT,
            )
        raise EncodingDetectionError(
            f"{name}: cannot detect the text encoding (it is not UTF-8, and GB18030, Big5 and the detector's guesses "
            "give mojibake).", **_NAME_IT
        )
    return best[3], best[2]


def check_not_binary(data: bytes, name: str) -> None:
    """Raise BinaryInputError when `data` starts with the signature of a known binary format."""
    head = data[:16]
    for magic, what, fix in _MAGIC:
        if head.startswith(magic):
            raise BinaryInputError(f"{name}: is {what}, not text. If so, {fix}.")


def plausibility(text: str) -> float | None:
    """How much `text` reads like a Chinese (or ASCII) document; None when it looks like mojibake."""
    text = _sample(text)
    nonspace = len(text) - len(_SPACE_RE.findall(text))
    if nonspace == 0:
        return 0.0
    bad = len(_ALLOWED_RE.sub("", text))
    bad_ratio = bad / nonspace
    if bad_ratio > _MAX_BAD_RATIO:
        return None
    ideographs = len(_IDEOGRAPH_RE.findall(text))
    if ideographs < _MIN_IDEOGRAPHS_FOR_RATIO:
        # Too little Chinese to judge by character frequency; only the symbol check applies.
        return 0.5 - bad_ratio
    common = len(_COMMON_RE.findall(text)) / ideographs
    if common < _MIN_COMMON_RATIO:
        return None
    return common - bad_ratio


def canonical_codec(encoding: str) -> str:
    """Python's name for a codec, with GB2312/GBK widened to GB18030."""
    name = codecs.lookup(encoding).name
    if name.replace("-", "_") in _GB_FAMILY or name in _GB_FAMILY:
        return "gb18030"
    return name


def _decode_named(data: bytes, name: str, encoding: str) -> tuple[str, str]:
    try:
        codec = canonical_codec(encoding)
    except LookupError:
        raise EncodingDetectionError(
            f"{name}: unknown encoding {encoding!r}.", fix="Give a Python codec name, e.g. gb18030, big5, utf-8 or utf-16.",
            option="encoding", value="gb18030",
        ) from None
    tries = [codec] + ([c for c in ("cp950", "big5hkscs") if c != codec] if codec in _BIG5_FAMILY else [])
    error: UnicodeDecodeError | None = None
    for c in tries:
        try:
            return _strip_bom(data.decode(c)), c
        except UnicodeDecodeError as exc:
            error = error or exc
    assert error is not None
    raise EncodingDetectionError(
        f"{name}: cannot decode as {encoding}: byte 0x{data[error.start]:02x} at offset {error.start} is invalid there.",
        fix="Try another encoding, e.g. gb18030, big5 or utf-8.", option="encoding", value="gb18030",
    ) from None


def _candidates(data: bytes) -> list[str]:
    out = _detector_guesses(data) + list(_FALLBACKS)
    seen: list[str] = []
    for enc in out:
        try:
            codec = canonical_codec(enc)
        except LookupError:
            continue
        if codec in _BIG5_FAMILY:
            codec = "cp950"
        if codec not in seen:
            seen.append(codec)
    # GB18030 decodes any Big5 byte string too, so keep the Chinese fallbacks in a fixed order
    # after the detector's first guess: the frequency score then decides.
    return seen


def _detector_guesses(data: bytes) -> list[str]:
    try:
        # charset-normalizer loads only when the strict decodings fail
        from charset_normalizer import from_bytes

        if len(data) > _DETECT_BYTES:
            # The detector is slow on megabytes; a prefix cut at a line end is as telling.
            cut = data.rfind(b"\n", 0, _DETECT_BYTES)
            data = data[: cut if cut > 0 else _DETECT_BYTES]
        return [match.encoding for match in list(from_bytes(data))[:5]]
    except Exception:  # noqa: BLE001 - the detector is only a hint; the fallbacks still run
        return []


def _try_bomless_utf16(data: bytes) -> tuple[str, str] | None:
    if len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _IDEOGRAPH_RE.search(text) and plausibility(text) is not None:
            return text, codec
    return None


def _sample(text: str) -> str:
    """Start, middle and end of a long text: enough to tell Chinese from mojibake, in bounded time."""
    if len(text) <= 3 * _SAMPLE_CHARS:
        return text
    mid = len(text) // 2
    return text[:_SAMPLE_CHARS] + text[mid : mid + _SAMPLE_CHARS] + text[-_SAMPLE_CHARS:]


def _first_invalid_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return -1


def _strip_bom(text: str) -> str:
    return text.removeprefix("\ufeff")
