"""The `verifier` command: serve, and manage the registry."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from pydantic import ValidationError

from registry.backends import open_store
from registry.formats import RegistryFormatError, dump_csv, dump_json, read_registry
from verifier.knowledge import official_key
from verifier.service import Service
from verifier.settings import Settings


def _settings_help() -> str:
    lines = ["settings (environment variables; command-line options override them):"]
    for name, field in Settings.model_fields.items():
        lines.append(f"  VERIFIER_{name.upper():<26} {field.description} (default: {field.default!r})")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="verifier", description="Is this phone number really who it claims to be?")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser(
        "serve", help="serve the API and pages", epilog=_settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--host", help="address to listen on (VERIFIER_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (VERIFIER_PORT)")
    _database_option(serve)
    serve.set_defaults(run=_serve)

    registry = commands.add_parser("registry", help="import or export the official registry")
    registry_commands = registry.add_subparsers(dest="registry_command", required=True)
    importer = registry_commands.add_parser("import", help="import a registry file (.json or .csv)")
    importer.add_argument("file", type=Path)
    _database_option(importer)
    importer.set_defaults(run=_registry_import)
    exporter = registry_commands.add_parser("export", help="export the registry")
    exporter.add_argument("--format", choices=("json", "csv"), default="json")
    exporter.add_argument("--output", type=Path, help="write to this file instead of standard output")
    _database_option(exporter)
    exporter.set_defaults(run=_registry_export)
    return parser


def _database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", help="SQLite path or sqlite:///path (VERIFIER_DATABASE)")


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {key: getattr(args, key) for key in ("host", "port", "database") if getattr(args, key, None) is not None}
    return Settings(**overrides)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from aiohttp import web

    from verifier.app import create_app

    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=_announce(settings))
    return 0


def _announce(settings: Settings) -> Callable[[str], None]:
    def say(message: str) -> None:
        print(f"hotline-verifier serving on http://{settings.host}:{settings.port} (database {settings.database})",
              flush=True)

    return say


async def _with_service(settings: Settings, work: Callable[[Service], Awaitable[int]]) -> int:
    service = Service(open_store(settings.database), load_default_registry=settings.load_default_registry)
    await service.start()
    try:
        return await work(service)
    finally:
        await service.stop()


def _registry_import(args: argparse.Namespace, settings: Settings) -> int:
    try:
        organizations = read_registry(args.file, official_key)
    except RegistryFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1

    async def work(service: Service) -> int:
        result = await service.import_registry(organizations, actor="cli")
        print(
            f"imported {args.file.name}: organisations {result.organizations_created} new, "
            f"{result.organizations_updated} updated; numbers {result.numbers_created} new, "
            f"{result.numbers_updated} updated; {result.unchanged} unchanged"
        )
        return 0

    return asyncio.run(_with_service(settings, work))


def _registry_export(args: argparse.Namespace, settings: Settings) -> int:
    async def work(service: Service) -> int:
        organizations = await service.store.load_organizations()
        text = dump_csv(organizations) if args.format == "csv" else dump_json(organizations)
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0

    return asyncio.run(_with_service(settings, work))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = _settings(args)
    except ValidationError as exc:
        print(f"error: invalid setting:\n{exc}", file=sys.stderr)
        return 2
    return int(args.run(args, settings))
