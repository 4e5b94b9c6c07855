"""Decision model v3: four options, one currency, a staged plan, honest confidence.

Pure (numpy, no Django). The rules decide what is allowed (``exclude``), what
to warn about (``caveat``), what money each reason moves (``cost``), which
ranges are wider than they look (``range``) and which follow-ups are open
(``check``); :mod:`advisor.scoring.effects` types those effects. The money
then decides alone (:mod:`advisor.scoring.decision`): the recommendation is
the allowed option, or staged plan, with the lowest adjusted P50 TCO, the
brief's default (the closed API) holding unless another is cheaper by more
than the default margin. :mod:`advisor.scoring.simulation` costs the four
options, the router variant and the plan in every Monte Carlo draw, so the
confidence is the share of draws in which the recommendation wins under the
same rule (``probability_best``).
"""
