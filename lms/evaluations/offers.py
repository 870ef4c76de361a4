"""When the evaluation is offered to a learner. Pure: plain values in, a state out.

Offered once the post-test is passed. "Prompted once": the dashboard and curriculum pages push a
one-line prompt until the learner sends the survey or chooses "No thanks" (a declined receipt);
after that the survey stays open to them through a quiet link, and after sending it, it is closed.
"""

import enum
from dataclasses import dataclass


class Offer(enum.StrEnum):
    #: no evaluation for this curriculum, or the post-test is not passed yet
    NONE = "none"
    #: passed and not yet answered: push the prompt
    PROMPT = "prompt"
    #: declined: still open, no longer pushed
    AVAILABLE = "available"
    #: sent; a second one is not taken
    SUBMITTED = "submitted"


@dataclass(frozen=True)
class EvaluationState:
    """What the database says about one enrollment's evaluation."""

    #: the curriculum has at least one current item or question
    exists: bool
    submitted: bool = False
    declined: bool = False

    def offer(self, posttest_passed):
        if not self.exists or not posttest_passed:
            return Offer.NONE
        if self.submitted:
            return Offer.SUBMITTED
        return Offer.AVAILABLE if self.declined else Offer.PROMPT


NO_EVALUATION = EvaluationState(exists=False)
