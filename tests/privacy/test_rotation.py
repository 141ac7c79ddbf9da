"""Key rotation: after `aid keys rotate` and dropping the old key, everything still reads and
every lookup by phone or email still works (SQLite and PostgreSQL: the suite runs on both)."""

from __future__ import annotations

from aid.auth.service import find_by_email
from aid.board.models import Post, PostStatus
from aid.extensions import db
from aid.hotline.service import open_request_for_phone
from aid.security.crypto import new_key
from aid.sms import service as sms
from aid.sms.subscriptions import find_subscriber
from tests.helpers import KEYS
from tests.privacy.support import REQUESTER_PHONE, SUBSCRIBER_PHONE, decrypted_values, key_ids


def test_rotate_then_drop_the_old_keys(app, app_factory, network):
    sms.suppress(REQUESTER_PHONE, "stop")  # a STOP list entry: a hash with no number beside it
    db.session.get(Post, network.post_id).status = PostStatus.OPEN
    db.session.commit()
    before = sorted(decrypted_values())
    old_data, old_index = KEYS["AID_DATA_KEYS"], KEYS["AID_INDEX_KEY"]
    new_data, new_index = new_key(), new_key()

    both = app_factory(AID_DATA_KEYS=f"{new_data},{old_data}", AID_INDEX_KEY=new_index)
    with both.app_context():
        result = both.test_cli_runner().invoke(
            args=["keys", "rotate", "--old-index-key", old_index])
        assert "Re-encrypted" in result.output, result.output
        assert len(key_ids()) == 1
        again = both.test_cli_runner().invoke(args=["keys", "rotate"])
        assert "Re-encrypted 0 values, recomputed 0 indexes" in again.output  # idempotent

    only_new = app_factory(AID_DATA_KEYS=new_data, AID_INDEX_KEY=new_index)
    with only_new.app_context():
        assert sorted(decrypted_values()) == before
        assert find_by_email("Marisol.Vega@example.org").display_name == "Marisol Vega"
        assert open_request_for_phone(REQUESTER_PHONE).id == network.request_id
        assert find_subscriber(SUBSCRIBER_PHONE).id == network.subscriber_id
        assert sms.is_suppressed(REQUESTER_PHONE)  # re-keyed by the number we still hold
        page = only_new.test_client().get("/board?q=groceries").get_data(as_text=True)
        assert "Groceries for a family" in page  # search words re-made under the new key


def test_every_blind_index_column_is_declared_and_rotation_can_rekey_it(app):
    """Every `*_index` column says what it is made from, a recomputed one names an encrypted
    column of its own table, and one re-made by a hook has its hook registered."""
    from aid.security.crypto import Encrypted, Rekey, blind_index_of
    from aid.security.rotation import REBUILDERS, blind_indexes

    declared = {(s.table, s.index_column) for s in blind_indexes()}
    for table in db.metadata.sorted_tables:
        for col in table.columns:
            if col.name.endswith("_index"):
                assert blind_index_of(col) is not None, f"{table.name}.{col.name}"
    assert ("board_words", "word") in declared and ("sms_codes", "code_hash") in declared
    for index in blind_indexes():
        if index.declared.rekey is Rekey.RECOMPUTE:
            source = db.metadata.tables[index.table].c[index.source_column]
            assert isinstance(source.type, Encrypted), f"{index.table}.{index.index_column}"
        if index.declared.rekey is Rekey.REBUILD:
            assert index.table in REBUILDERS, f"no rebuild hook for {index.table}"
