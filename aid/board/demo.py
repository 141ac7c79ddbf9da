"""Sample needs and offers for `aid demo`: a groceries need and offer in Eastside match."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select

from aid.auth import service as accounts
from aid.board import service as board
from aid.board.models import Post, PostStatus
from aid.extensions import db
from aid.network.models import Area

# (kind, category, area, title, description, quantity, first name, posted by Rosa's account)
BOARD_POSTS = [
    ("offer", "food", "Eastside", "Groceries to share this week",
     "We bought too much at the food bank: rice, beans, canned tomatoes and tortillas.",
     "2 bags", "Rosa", True),
    ("need", "food", "Eastside", "Groceries for a family of five",
     "Dad lost work last month. Anything for the kids' lunches helps, no pork please.",
     "Once a week", "", False),
    ("need", "transport", "Riverside", "Ride to a court date",
     "Need a ride to the downtown courthouse and back, morning appointment.",
     "One morning", "", False),
    ("offer", "transport", "Riverside", "Car with a child seat, weekday mornings",
     "I can drive to appointments before noon, Monday to Thursday.",
     "Mornings", "Dev", False),
    ("need", "childcare", "Old Town", "Someone to watch two kids on Saturday",
     "Ages 4 and 7, while I work a shift. Spanish speaker preferred.",
     "Saturday 9 to 3", "", False),
    ("offer", "skills", "Market District", "Help filling in forms in Spanish or English",
     "Retired school secretary, happy to help with school, clinic or benefits paperwork.",
     "Tuesday evenings", "", False),
    ("need", "housing", "Southgate", "Room for a mother and baby for two weeks",
     "Safe place needed while she waits for her lease to start.",
     "Two weeks", "", False),
    ("offer", "goods", "North Hills", "Winter coats, kids and adult sizes",
     "Clean coats from our church drive, sizes 4T to adult XL.",
     "About 15 coats", "", False),
    ("need", "goods", "North Hills", "Warm coat for a 10-year-old",
     "Boy, size 10-12. He walks to school early.", "1 coat", "", False),
    ("offer", "legal", "Old Town", "Know-your-rights workshop at the library",
     "Volunteer lawyers explain what to do if ICE comes to your door. Free, no names taken.",
     "First Sunday of the month", "", False),
    ("need", "medical", "Market District", "Pharmacy pickup for an elderly neighbour",
     "She cannot walk far. Prescription is paid for, it just needs collecting.",
     "Every two weeks", "", False),
    ("offer", "food", "Southgate", "Hot meals on Fridays",
     "Our kitchen cooks for 30. Come by or we bring it to you.", "Fridays", "Marisol", False),
]


def create_demo() -> Iterator[str]:
    if db.session.scalar(select(Post.id).limit(1)) is not None:
        yield "Board: already has posts"
        return
    areas = {a.name: a.id for a in db.session.scalars(select(Area))}
    rosa = accounts.find_by_email("rosa@demo.example")
    for kind, category, area, title, text, quantity, name, by_rosa in BOARD_POSTS:
        data = board.PostInput(category=category, area_id=areas[area], title=title,
                               description=text, quantity=quantity, first_name=name)
        post, _token = board.create_post(kind, data, author=rosa if by_rosa else None)
        post.status = PostStatus.OPEN  # demo posts are already approved
    db.session.commit()
    yield f"Board: {len(BOARD_POSTS)} open needs and offers"
