# expect: global_restart_prediction=0
# reason: wrong_prediction
# Right idea, but not a number: the check needs a whole number.
global_after_restart = "1 hit"
