"""Generate the reference parts of docs/ (settings, errors, CLI) from the code, for cog."""

from __future__ import annotations

import inspect
from typing import Any

import typer.main

from relaydesk import errors
from relaydesk.settings import Settings


def settings_table() -> str:
    """Return a Markdown table of every setting with its variable, default and description."""
    rows = ["| variable | default | what it sets |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default
        shown = "—" if default is None else f"`{default}`"
        rows.append(f"| `RELAYDESK_{name.upper()}` | {shown} | {field.description or ''} |")
    return "\n" + "\n".join(rows) + "\n"


def error_classes() -> list[type[errors.RelaydeskError]]:
    """Return every RelaydeskError class defined in relaydesk.errors."""
    return [
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.RelaydeskError)
    ]


def errors_table() -> str:
    """Return a Markdown table of every error code with its HTTP status."""
    rows = ["| code | status | class |", "|---|---|---|"]
    for cls in sorted(error_classes(), key=lambda c: (c.status, c.code)):
        doc = (cls.__doc__ or "").strip().splitlines()
        rows.append(
            f"| `{cls.code}` | {cls.status} | `{cls.__name__}`{': ' + doc[0] if doc else ''} |"
        )
    return "\n" + "\n".join(rows) + "\n"


def _walk(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    found = [(path, command)]
    for name in sorted(getattr(command, "commands", {}) or {}):
        found.extend(_walk(command.commands[name], [*path, name]))
    return found


def _is_group(command: Any) -> bool:
    return bool(getattr(command, "commands", None))


def cli_commands() -> list[str]:
    """Return every CLI command path, such as 'relaydesk kb import'."""
    from relaydesk.cli import app

    root = typer.main.get_command(app)
    return [" ".join(p) for p, c in _walk(root, ["relaydesk"]) if not _is_group(c)]


def _param_row(param: Any) -> str:
    if getattr(param, "param_type_name", "") == "argument":
        name = f"`{str(param.name).upper()}`"
        kind = "argument"
    else:
        name = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
        kind = "flag" if getattr(param, "is_flag", False) else "option"
    default = param.default
    shown = "" if default in (None, False, ()) or callable(default) else f"`{default}`"
    envvar = getattr(param, "envvar", None)
    help_text = (getattr(param, "help", None) or "").replace("|", "\\|")
    if envvar:
        help_text += f" (env `{envvar}`)"
    return f"| {name} | {kind} | {shown} | {help_text} |"


def cli_reference() -> str:
    """Return every CLI command with its description and parameters, as Markdown."""
    from relaydesk.cli import app

    root = typer.main.get_command(app)
    out: list[str] = []
    for path, command in _walk(root, ["relaydesk"]):
        if _is_group(command):
            continue
        out.append(f"\n## `{' '.join(path)}`\n\n{(command.help or '').strip()}\n")
        params = [p for p in command.params if p.name not in {"help"}]
        if params:
            out.append("\n| parameter | kind | default | meaning |\n|---|---|---|---|\n")
            out.extend(_param_row(p) + "\n" for p in params)
    return "".join(out)
