"""When the evaluation is offered to a learner. Pure: plain values in, a state out.

Offered once the post-test is passed: the results page of the passed post-test leads with it.
"Prompted once": the first dashboard or curriculum page the learner opens after that shows a
one-line prompt, which is recorded (a prompted receipt) and not shown again; nor is it shown after
"No thanks" (a declined receipt). From then on the survey stays open to them through a quiet link
on those pages, until they send it; after that it is closed.
"""

import enum
from dataclasses import dataclass


class Offer(enum.StrEnum):
    #: no evaluation for this curriculum, or the post-test is not passed yet
    NONE = "none"
    #: passed, not answered, and the prompt not shown yet: show it (once)
    PROMPT = "prompt"
    #: prompted or declined: still open through a quiet link, no longer pushed
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
    #: the dashboard or curriculum page has shown the prompt once
    prompted: bool = False

    def offer(self, posttest_passed):
        if not self.exists or not posttest_passed:
            return Offer.NONE
        if self.submitted:
            return Offer.SUBMITTED
        return Offer.AVAILABLE if self.declined or self.prompted else Offer.PROMPT


NO_EVALUATION = EvaluationState(exists=False)
