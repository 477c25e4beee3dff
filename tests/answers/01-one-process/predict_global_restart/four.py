# expect: global_restart_prediction=0
# reason: wrong_prediction
# The restart is forgotten: counting on from 3.
global_after_restart = 4
