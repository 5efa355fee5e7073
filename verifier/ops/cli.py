"""The `verifier` command: serve, and manage the registry."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

from pydantic import ValidationError

from registry.backends import open_store
from registry.conflicts import RegistryConflictError
from registry.formats import RegistryFormatError, dump_csv, dump_json, read_registry
from registry.records import Role
from registry.store import Conflict, NotFound, Store
from verifier.core.knowledge import official_key
from verifier.ops.crypto import API_KEY_PREFIX, generate_password, hash_password, new_token, token_digest
from verifier.ops.settings import Settings
from verifier.state.service import Service


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
    serve.add_argument("--workers", type=int, default=1,
                       help="server processes sharing the port (PostgreSQL only: they agree through it)")
    serve.add_argument("--reuse-port", action="store_true", help=argparse.SUPPRESS)
    _database_option(serve)
    serve.set_defaults(run=_serve)

    registry = commands.add_parser("registry", help="import or export the official registry")
    registry_commands = registry.add_subparsers(dest="registry_command", required=True)
    importer = registry_commands.add_parser("import", help="import a registry file (.json or .csv)")
    importer.add_argument("file", type=Path)
    importer.add_argument("--strict", action="store_true",
                          help="refuse to import (exit code 2, nothing written) when there is any conflict: a number "
                               "under unrelated organisations, an organisation renamed")
    _database_option(importer)
    importer.set_defaults(run=_registry_import)
    exporter = registry_commands.add_parser("export", help="export the registry")
    exporter.add_argument("--format", choices=("json", "csv"), default="json")
    exporter.add_argument("--output", type=Path, help="write to this file instead of standard output")
    _database_option(exporter)
    exporter.set_defaults(run=_registry_export)

    users = commands.add_parser("users", help="moderator and administrator accounts")
    user_commands = users.add_subparsers(dest="users_command", required=True)
    add_user = user_commands.add_parser("add", help="add an account; prints a generated password once")
    add_user.add_argument("name")
    add_user.add_argument("--role", choices=[r.value for r in Role], required=True)
    add_user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    _database_option(add_user)
    add_user.set_defaults(run=_users_add)
    list_users = user_commands.add_parser("list", help="list accounts")
    _database_option(list_users)
    list_users.set_defaults(run=_users_list)
    disable_user = user_commands.add_parser("disable", help="disable an account and end its sessions")
    disable_user.add_argument("name")
    _database_option(disable_user)
    disable_user.set_defaults(run=_users_disable)

    db = commands.add_parser("db", help="back up and restore the SQLite database")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    backup = db_commands.add_parser("backup", help="a consistent copy, taken while the server keeps serving")
    backup.add_argument("path", type=Path)
    _database_option(backup)
    backup.set_defaults(run=_db_backup)
    restore = db_commands.add_parser("restore", help="replace the database with a backup (stop the server first)")
    restore.add_argument("path", type=Path)
    _database_option(restore)
    restore.set_defaults(run=_db_restore)

    reports = commands.add_parser("reports", help="reports from outside systems")
    report_commands = reports.add_subparsers(dest="reports_command", required=True)
    import_reports = report_commands.add_parser(
        "import", help="import a CSV of outside evidence (number,category,date[,text] or the FTC DNC layout)")
    import_reports.add_argument("file", type=Path)
    import_reports.add_argument("--source", required=True, help="where the data comes from (kept apart from user reports)")
    import_reports.add_argument("--weight", type=float,
                                help="how much one of its reports weighs against a user's (default 0.5; up to 10: "
                                     "a source of weight w counts like w voices, up to "
                                     "VERIFIER_IMPORTED_SOURCE_MAX_VOICES); given, it is also the new weight of "
                                     "the file's rows imported before")
    import_reports.add_argument("--region", default="CN", help="region of national numbers in the generic layout")
    _database_option(import_reports)
    import_reports.set_defaults(run=_reports_import)

    apikeys = commands.add_parser("apikeys", help="API keys for apps")
    key_commands = apikeys.add_subparsers(dest="apikeys_command", required=True)
    create_key = key_commands.add_parser("create", help="create a key; prints it once")
    create_key.add_argument("name")
    create_key.add_argument("--rate-limit", type=int, help="requests per minute (VERIFIER_API_KEY_DEFAULT_RATE_LIMIT)")
    create_key.add_argument("--vouches", type=int, help="reports an hour whose reporter_id counts as its own voice; "
                            "beyond it they count as the key's one voice; 0: never (VERIFIER_KEY_VOUCHES_PER_HOUR)")
    _database_option(create_key)
    create_key.set_defaults(run=_apikeys_create)
    list_keys = key_commands.add_parser("list", help="list keys with their usage")
    _database_option(list_keys)
    list_keys.set_defaults(run=_apikeys_list)
    revoke_key = key_commands.add_parser("revoke", help="revoke a key")
    revoke_key.add_argument("name")
    _database_option(revoke_key)
    revoke_key.set_defaults(run=_apikeys_revoke)
    return parser


def _database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database", help="SQLite path, sqlite:///path or postgresql://... (VERIFIER_DATABASE)")


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {key: getattr(args, key) for key in ("host", "port", "database") if getattr(args, key, None) is not None}
    return Settings(**overrides)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from verifier.http.app import create_app
    from verifier.ops.logs import configure_logging
    from verifier.ops.serving import run, supervise

    if args.workers > 1:
        if not settings.is_postgresql():
            print("error: --workers needs PostgreSQL (VERIFIER_DATABASE=postgresql://...): processes on one SQLite "
                  "file would not see each other's changes", file=sys.stderr)
            return 2
        if settings.port == 0:
            print("error: --workers needs a fixed --port", file=sys.stderr)
            return 2
        command = [sys.executable, "-m", "verifier", "serve", "--host", settings.host, "--port", str(settings.port),
                   "--database", settings.database, "--reuse-port"]
        print(f"hotline-verifier: {args.workers} workers on http://{settings.host}:{settings.port}", flush=True)
        return supervise(command, args.workers)
    configure_logging(settings.log_level)
    run(create_app(settings), host=settings.host, port=settings.port, announce=_announce(settings),
        reuse_port=args.reuse_port)
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
        try:
            result = await service.import_registry(organizations, actor="cli", strict=args.strict)
        except RegistryConflictError as exc:
            print(f"error: {args.file.name}: {exc}", file=sys.stderr)
            return 2
        for conflict in result.conflicts:
            print(f"conflict: {conflict}", file=sys.stderr)
        print(
            f"imported {args.file.name}: organisations {result.organizations_created} new, "
            f"{result.organizations_updated} updated; numbers {result.numbers_created} new, "
            f"{result.numbers_updated} updated; {result.unchanged} unchanged; "
            f"{len(result.conflicts)} conflict(s)"
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


def _on_store(settings: Settings, work: Callable[[Store], Awaitable[int]]) -> int:
    async def run() -> int:
        store = open_store(settings.database)
        await store.open()
        try:
            return await work(store)
        except (Conflict, NotFound) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        finally:
            await store.close()

    return asyncio.run(run())


def _sqlite_only(settings: Settings) -> Path | None:
    if "://" in settings.database and not settings.database.startswith("sqlite://"):
        print("error: backup and restore are for SQLite; use pg_dump and pg_restore for PostgreSQL", file=sys.stderr)
        return None
    return settings.sqlite_path()


def _db_backup(args: argparse.Namespace, settings: Settings) -> int:
    from verifier.ops.backup import backup

    source = _sqlite_only(settings)
    if source is None:
        return 1
    try:
        pages = backup(source, args.path)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"backed up {source} to {args.path} ({pages} pages, integrity ok)")
    return 0


def _db_restore(args: argparse.Namespace, settings: Settings) -> int:
    from verifier.ops.backup import restore

    target = _sqlite_only(settings)
    if target is None:
        return 1
    try:
        restore(args.path, target)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"restored {target} from {args.path}")
    return 0


def _reports_import(args: argparse.Namespace, settings: Settings) -> int:
    from verifier.ops.crypto import Keyed, load_or_create_key
    from verifier.ops.evidence_import import DEFAULT_WEIGHT, check_source, check_weight, read_evidence

    try:
        source = check_source(args.source)
        weight = check_weight(DEFAULT_WEIGHT if args.weight is None else args.weight)
        text = args.file.read_text(encoding="utf-8")
        keyed = Keyed(load_or_create_key(settings.secret_key,
                                         None if settings.is_postgresql() else settings.key_file()))
        batch = read_evidence(text, source=source, weight=weight, keyed=keyed, region=args.region.upper())
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 1

    async def work(service: Service) -> int:
        result = await service.import_evidence(batch.reports, reweigh=args.weight is not None, actor="cli")
        print(f"imported {args.file.name} ({batch.layout}) as source {source}: {len(result.stored)} new, "
              f"{result.already} already imported, {len(batch.skipped)} skipped, "
              f"{len(batch.duplicates)} duplicates within the file")
        befores = Counter(change.before for change in result.reweighed)
        for before, count in sorted(befores.items()):
            print(f"weight of source {source} changed from {before:g} to {weight:g} for {count} reports "
                  "imported before")
        if result.already > len(result.reweighed):
            print(f"weight of source {source} unchanged ({weight:g}) for {result.already - len(result.reweighed)} "
                  "reports imported before" if args.weight is not None else
                  f"{result.already} reports imported before keep their weight (--weight changes it)")
        if weight > settings.imported_source_max_voices:
            print(f"note: weight {weight:g} counts like {settings.imported_source_max_voices:g} voices at most "
                  "(VERIFIER_IMPORTED_SOURCE_MAX_VOICES)")
        for problem in batch.skipped[:20]:
            print(f"  skipped {problem}", file=sys.stderr)
        for duplicate in batch.duplicates[:20]:
            print(f"  duplicate within the file: {duplicate} (imported once)", file=sys.stderr)
        return 0

    return asyncio.run(_with_service(settings, work))


def _users_add(args: argparse.Namespace, settings: Settings) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if len(password) < 12:
            print("error: a password needs at least 12 characters", file=sys.stderr)
            return 1
    else:
        password = generate_password()

    async def work(store: Store) -> int:
        await store.add_user(args.name, hash_password(password), Role(args.role), actor="cli")
        if args.password_stdin:
            print(f"added {args.role} {args.name}")
        else:
            print(f"added {args.role} {args.name}; password (shown once): {password}")
        return 0

    return _on_store(settings, work)


def _users_list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(store: Store) -> int:
        for user in await store.list_users():
            state = "disabled" if user.disabled else "active"
            print(f"{user.username}\t{user.role.value}\t{state}\t{user.created_at:%Y-%m-%d}")
        return 0

    return _on_store(settings, work)


def _users_disable(args: argparse.Namespace, settings: Settings) -> int:
    async def work(store: Store) -> int:
        await store.disable_user(args.name, actor="cli")
        print(f"disabled {args.name}")
        return 0

    return _on_store(settings, work)


def _apikeys_create(args: argparse.Namespace, settings: Settings) -> int:
    rate_limit = args.rate_limit or settings.api_key_default_rate_limit
    if rate_limit < 1:
        print("error: --rate-limit must be at least 1", file=sys.stderr)
        return 1
    if args.vouches is not None and args.vouches < 0:
        print("error: --vouches must be 0 or more", file=sys.stderr)
        return 1
    key = new_token(API_KEY_PREFIX)
    vouches = _vouches(args.vouches, settings)

    async def work(store: Store) -> int:
        await store.add_api_key(args.name, token_digest(key), key[:10], rate_limit, actor="cli", vouches=args.vouches)
        print(f"created API key {args.name} ({rate_limit} requests/minute, vouches for {vouches});"
              f" key (shown once): {key}")
        return 0

    return _on_store(settings, work)


def _apikeys_list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(store: Store) -> int:
        for key in await store.list_api_keys():
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            print(f"{key.name}\t{key.prefix}…\t{key.rate_limit}/min\tvouches for {_vouches(key.vouches, settings)}"
                  f"\t{key.usage_count} requests\t{state}")
        return 0

    return _on_store(settings, work)


def _vouches(vouches: int | None, settings: Settings) -> str:
    """How far a key vouches for its users, as `apikeys create` and `list` say it."""
    if vouches is None:
        return f"{settings.key_vouches_per_hour} reports/hour (the default)"
    return f"{vouches} reports/hour" if vouches else "no one (its users are one voice)"


def _apikeys_revoke(args: argparse.Namespace, settings: Settings) -> int:
    async def work(store: Store) -> int:
        await store.revoke_api_key(args.name, actor="cli")
        print(f"revoked {args.name}")
        return 0

    return _on_store(settings, work)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = _settings(args)
    except ValidationError as exc:
        print(f"error: invalid setting:\n{exc}", file=sys.stderr)
        return 2
    return int(args.run(args, settings))
