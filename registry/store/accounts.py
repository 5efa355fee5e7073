"""Moderator accounts, their sessions, and API keys. Secrets arrive here already hashed."""

from __future__ import annotations

import datetime as dt

from registry.db import Database, Row
from registry.records import ApiKey, Role, Session, User
from registry.store import audit
from registry.store.clock import as_text, now_text
from registry.store.errors import Conflict, NotFound


def _user(row: Row) -> User:
    return User(id=row["id"], username=row["username"], role=row["role"], disabled=bool(row["disabled"]),
                created_at=row["created_at"])


class AccountQueries:
    db: Database

    # -- users -----------------------------------------------------------------------
    async def add_user(self, username: str, password_hash: str, role: Role, *, actor: str) -> User:
        async with self.db.transaction() as tx:
            if await tx.fetchone("SELECT id FROM users WHERE username = ?", (username,)):
                raise Conflict(f"a user named {username!r} exists already")
            row = await tx.fetchone(
                "INSERT INTO users (username, password_hash, role, disabled, created_at)"
                " VALUES (?, ?, ?, 0, ?) RETURNING *", (username, password_hash, role.value, now_text()))
            assert row is not None
            await audit.record(tx, actor, "user.add", "user", username, after={"role": role.value})
        return _user(row)

    async def user_credentials(self, username: str) -> tuple[User, str] | None:
        row = await self.db.fetchone("SELECT * FROM users WHERE username = ?", (username,))
        return None if row is None else (_user(row), row["password_hash"])

    async def set_password_hash(self, user_id: int, password_hash: str) -> None:
        """Re-hash on login when the hashing parameters were strengthened (not audited: no change of rights)."""
        await self.db.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id))

    async def list_users(self) -> list[User]:
        return [_user(row) for row in await self.db.fetchall("SELECT * FROM users ORDER BY username")]

    async def disable_user(self, username: str, *, actor: str) -> None:
        async with self.db.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM users WHERE username = ?", (username,))
            if row is None:
                raise NotFound(f"no user named {username!r}")
            await tx.execute("UPDATE users SET disabled = 1 WHERE id = ?", (row["id"],))
            await tx.execute("DELETE FROM sessions WHERE user_id = ?", (row["id"],))
            await audit.record(tx, actor, "user.disable", "user", username, before={"disabled": bool(row["disabled"])},
                               after={"disabled": True})

    # -- sessions ----------------------------------------------------------------------
    async def add_session(self, token_hash: str, user_id: int, kind: str, expires_at: dt.datetime,
                          csrf_token: str | None = None) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?, ?)", (token_hash, user_id, kind, csrf_token, now_text(), as_text(expires_at)))
            await tx.execute("DELETE FROM sessions WHERE expires_at < ?", (now_text(),))

    async def get_session(self, token_hash: str) -> Session | None:
        """A live session of an enabled user, or None."""
        row = await self.db.fetchone(
            "SELECT s.kind, s.csrf_token, s.expires_at, u.* FROM sessions s JOIN users u ON u.id = s.user_id"
            " WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0", (token_hash, now_text()))
        if row is None:
            return None
        return Session(user=_user(row), kind=row["kind"], csrf_token=row["csrf_token"], expires_at=row["expires_at"])

    async def delete_session(self, token_hash: str) -> None:
        await self.db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))

    # -- API keys ----------------------------------------------------------------------
    async def add_api_key(self, name: str, key_hash: str, prefix: str, rate_limit: int, *, actor: str,
                          vouches: int | None = None) -> ApiKey:
        """`vouches`: reports an hour the key's users count as their own voices (None: the default setting)."""
        async with self.db.transaction() as tx:
            if await tx.fetchone("SELECT id FROM api_keys WHERE name = ?", (name,)):
                raise Conflict(f"an API key named {name!r} exists already")
            row = await tx.fetchone(
                "INSERT INTO api_keys (name, key_hash, prefix, rate_limit, usage_count, created_at, vouches)"
                " VALUES (?, ?, ?, ?, 0, ?, ?) RETURNING *", (name, key_hash, prefix, rate_limit, now_text(), vouches))
            assert row is not None
            await audit.record(tx, actor, "apikey.create", "api_key", name,
                               after={"prefix": prefix, "rate_limit": rate_limit, "vouches": vouches})
        return ApiKey.model_validate(dict(row))

    async def api_key_by_hash(self, key_hash: str) -> ApiKey | None:
        row = await self.db.fetchone("SELECT * FROM api_keys WHERE key_hash = ?", (key_hash,))
        return None if row is None else ApiKey.model_validate(dict(row))

    async def api_key_names(self) -> dict[int, str]:
        """Every key's name by id (what moderators see a report came through)."""
        return {row["id"]: row["name"] for row in await self.db.fetchall("SELECT id, name FROM api_keys")}

    async def list_api_keys(self) -> list[ApiKey]:
        return [ApiKey.model_validate(dict(row)) for row in await self.db.fetchall("SELECT * FROM api_keys ORDER BY name")]

    async def revoke_api_key(self, name: str, *, actor: str) -> None:
        async with self.db.transaction() as tx:
            row = await tx.fetchone("SELECT * FROM api_keys WHERE name = ?", (name,))
            if row is None:
                raise NotFound(f"no API key named {name!r}")
            await tx.execute("UPDATE api_keys SET revoked_at = ? WHERE id = ?", (now_text(), row["id"]))
            await audit.record(tx, actor, "apikey.revoke", "api_key", name)

    async def add_api_key_usage(self, counts: dict[int, int]) -> None:
        if counts:
            async with self.db.transaction() as tx:
                await tx.executemany("UPDATE api_keys SET usage_count = usage_count + ? WHERE id = ?",
                                     [(n, key_id) for key_id, n in counts.items()])
