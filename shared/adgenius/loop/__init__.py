"""The learning loop: losing and fatigued creatives become replacement candidates.

    experiment decision written --(loop_on_decision)------------------------------\\
    metric fact written --(experiments_on_fact: the experiments' evaluations, and one
        pending check per campaign)--> loop-check --(loop_check: fatigue test)----+--> loop-act
    loop-act --(loop_act)--> off: nothing | suggest: a suggestion | auto: a regenerate job
                             (daily cap, quota, audit log, undo)

`detection` finds candidates; `candidates` acts on them and serves the API.
"""
