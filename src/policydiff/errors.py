"""Exceptions raised by the library. The CLI turns each into one `Error: …` line."""

from __future__ import annotations


class PolicydiffError(Exception):
    """Base class: the message says what is wrong and how to fix it.

    When a keyword argument of the call fixes it (`encoding`, `max_bytes`…), `option` names it and `value` is a
    value to try: a caller with its own names for them (the CLI's --encoding) states the fix in those names,
    from `cause`, instead of the library's `fix`.
    """

    exit_code = 1

    def __init__(self, cause: str = "", *, fix: str = "", option: str | None = None, value: object = None) -> None:
        self.cause, self.fix, self.option, self.value = cause, fix, option, value
        super().__init__(f"{cause} {fix}" if fix else cause)

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross process pools: keep the fix and option, which `args` alone would lose.
        return (_rebuild, (type(self), self.cause, self.fix, self.option, self.value))


def _rebuild(kind: type[PolicydiffError], cause: str, fix: str, option: str | None, value: object) -> PolicydiffError:
    return kind(cause, fix=fix, option=option, value=value)


class InputError(PolicydiffError):
    """The input cannot be read as a notice."""


class FileMissingError(InputError):
    pass


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class EncodingDetectionError(InputError):
    pass


class UnsupportedFormatError(InputError):
    pass


class NoTextLayerError(InputError):
    pass


class CorruptFileError(InputError):
    pass


class InputTooLargeError(InputError):
    pass


class EncryptedFileError(InputError):
    """A password-protected PDF: the text cannot be read until the password is removed."""


class FileUnreadableError(InputError):
    """The file exists but the OS refuses to read it (permissions, a device, a broken link)."""


class StructureError(PolicydiffError):
    """The text was read but has no structure policydiff can use."""


class NoNumberingError(StructureError):
    pass


class OutputExistsError(PolicydiffError):
    pass


class UsageError(PolicydiffError):
    exit_code = 2


class IndexUnusableError(PolicydiffError):
    """An index folder that cannot be used: not an index, damaged, incomplete, or being written."""


class IndexLockedError(IndexUnusableError):
    """Another `policydiff index` is writing the same index."""


class IndexDamagedError(IndexUnusableError):
    """A file of the index is missing or does not match the manifest."""


class OverwriteRefusedError(OutputExistsError):
    """The output file exists and overwriting it was not allowed."""


class OutputPathError(PolicydiffError):
    """The output cannot be written where it was asked for (a folder, a missing folder, a full disk)."""


class OutputRequiredError(UsageError):
    """A format that is only written to a file (binary, or a page to open) was asked for without one."""
