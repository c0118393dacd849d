"""How the CLI talks: rendered output to stdout, plain lines to stderr, and the error boundary that turns
every failure of a command into one `Error: …` line (cause and fix) and an exit code (1, or 2 for usage)."""

# No `from __future__ import annotations`: typer reads the annotations of the commands wrapped here.
import errno
import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from policydiff.errors import OutputPathError, OutputRequiredError, OverwriteRefusedError, PolicydiffError
from policydiff.render.messages import error, error_line, output_error_line

if TYPE_CHECKING:
    from rich.console import Console

# The library says what is wrong and how to fix it in its own terms; the CLI states the fix with the option
# to use: by the keyword the error names (`option`, with `value` to try), else by the kind of error.
OPTION_FIXES: dict[str, str] = {
    "encoding": "Name it with --encoding, e.g. --encoding {value}.",
    "max_bytes": "If it really is one notice, raise the limit with --max-bytes, e.g. --max-bytes {value}.",
    "prune": "Pass --prune to remove them from the index.",
}
FLAG_FIXES: dict[type[PolicydiffError], str] = {
    OutputRequiredError: "Pass --out FILE.",
    OverwriteRefusedError: "Pass --force to overwrite it, or choose another --out.",
    OutputPathError: "Choose another --out.",
}


def explain(exc: BaseException) -> str:
    """The message of a library error with its fix in the CLI's terms (the flag to pass)."""
    if not isinstance(exc, PolicydiffError):
        return str(exc)
    fix = OPTION_FIXES.get(exc.option or "") or next((f for kind, f in FLAG_FIXES.items() if isinstance(exc, kind)), None)
    return f"{exc.cause} {fix.format(value=exc.value)}" if fix else str(exc)


def _usage_errors() -> tuple[type[BaseException], ...]:
    """The usage errors typer reports itself (exit 2). typer >= 0.26 bundles its own click, whose exceptions
    derive from typer.TyperException, and installs no click; older typer raises click's own."""
    bundled = getattr(typer, "TyperException", None)
    if bundled is not None:
        return (typer.Abort, bundled)
    # why: only older typer versions, which depend on click, reach here
    import click

    return (typer.Abort, click.exceptions.ClickException)


USAGE_ERRORS = _usage_errors()


def console(stderr: bool = False) -> "Console":
    """A new console each time: it reads the terminal (width, colour) as it is now, also when tests run many commands."""
    # why: rich loads only when something is printed through it (csv/json output is written plainly)
    from rich.console import Console

    return Console(stderr=stderr, soft_wrap=True)


def plain_terminal() -> bool:
    """Whether standard output shows no colour (piped, or NO_COLOR): changes are then marked in the text."""
    c = console()
    return c.color_system is None or c.no_color


def say(*lines: str, err: bool = False) -> None:
    """Plain lines (no markup) to stdout, or to stderr."""
    for line in lines:
        console(err).print(line, markup=False, highlight=False, soft_wrap=True)


def show(rendered: Any, **options: Any) -> None:
    """Text (json, csv, markdown…) goes to stdout as it is; terminal tables through rich (`options`: its print's)."""
    if isinstance(rendered, str):
        sys.stdout.write(rendered)
    else:
        console().print(rendered, **options)


def fail(errors: list[PolicydiffError] | list[str]) -> None:
    """The inputs of a batch that failed while the others went on: one `Error:` line each, then the exit code."""
    say(*(error(explain(e) if isinstance(e, PolicydiffError) else e) for e in errors), err=True)
    if errors:
        sys.stdout.flush()
        raise typer.Exit(max(getattr(e, "exit_code", 1) for e in errors))


def _silence_stdout() -> None:
    # What is still buffered for stdout would fail again at exit.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


C = TypeVar("C", bound=Callable[..., Any])


def handle_errors(func: C) -> C:
    """Every failure of a command becomes one `Error: …` line (cause and fix) and exit code 1 (2 for usage)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = func(*args, **kwargs)
            sys.stdout.flush()  # inside the boundary: a failed write (a full disk) is an error too
            return result
        except typer.Exit:
            sys.stdout.flush()
            raise
        except USAGE_ERRORS:
            raise
        except KeyboardInterrupt:
            say("Error: interrupted; nothing was written.", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly
            _silence_stdout()
            raise typer.Exit(1) from None
        except Exception as exc:
            if os.environ.get("POLICYDIFF_DEBUG"):
                raise
            line, code = error_line(exc)
            if isinstance(exc, PolicydiffError):
                line = explain(exc)
            if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EIO, errno.EDQUOT) and exc.filename is None:
                line = output_error_line(exc)
                _silence_stdout()
            say(error(line), err=True)
            raise typer.Exit(code) from None

    return wrapper  # type: ignore[return-value]
