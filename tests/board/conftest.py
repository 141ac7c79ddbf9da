"""Board fixtures: the demo neighbourhoods and a one-line way to put a post up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aid.board import service
from aid.board.models import Post, PostStatus
from aid.extensions import db
from aid.network import service as network


@pytest.fixture
def areas(app):
    return {name: network.add_area(name) for name in ("Eastside", "Riverside")}


@pytest.fixture
def make_post(areas):
    """`make_post(title, kind=..., status="open", ...)` -> (post, manage token or None)."""

    def make(title: str = "Bag of groceries", kind: str = "offer", category: str = "food",
             area: str = "Eastside", description: str = "Rice, beans and vegetables.",
             status: str = PostStatus.OPEN, age_minutes: int = 0, author=None,
             **extra: str) -> tuple[Post, str | None]:
        data = service.PostInput(category=category, area_id=areas[area].id, title=title,
                                 description=description, **extra)
        post, token = service.create_post(kind, data, author=author)
        post.status = status
        if age_minutes:
            post.created_at -= timedelta(minutes=age_minutes)
        db.session.commit()
        return post, token

    return make
