"""The LPA app's demo (seed_demo imports `<app>.demo`): each sub-domain's, results before the
bonus (the bonus's part 2 reads the LPA results)."""

from .bonus import demo as bonus_demo
from .results import demo as results_demo


def seed(*, users: dict) -> list[str]:
    return [*results_demo.seed(users=users), *bonus_demo.seed(users=users)]
