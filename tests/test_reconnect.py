"""A PostgreSQL server that ends the app's connection (a restart, a network
drop, an administrator's pg_terminate_backend) costs one failed change, said
in one line; the next change connects again and is saved."""

from __future__ import annotations

import psycopg
import pytest
from tui_support import make_db

from store import ConnectionLost, Store
from tui.store_thread import StoreThread


def backend_pid(store: Store) -> int:
    return store.db.execute("SELECT pg_backend_pid()").fetchone()[0]


async def test_a_store_thread_connects_again_after_the_server_ended_its_connection(pg_server):
    url = make_db(pg_server.new_database())
    thread = StoreThread(url, "claimdesk-test")
    try:
        first = await thread.submit(backend_pid)
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [first])
        with pytest.raises(ConnectionLost) as lost:
            await thread.submit(lambda store: store.spans.add("a1", 0, 8, "claim", "ann"))
        assert "the change in progress was not made" in str(lost.value) and "\n" not in str(lost.value)
        span = await thread.submit(lambda store: store.spans.add("a1", 0, 8, "claim", "ann"))
        assert await thread.submit(backend_pid) != first
    finally:
        thread.stop()
    with Store(url) as store:
        assert [s.id for s in store.spans.for_article("a1")] == [span.id]
