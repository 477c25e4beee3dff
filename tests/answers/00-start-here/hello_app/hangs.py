# expect: hello_greets_everyone=0
# reason: timeout
# Loops forever inside the handler: the per-request deadline stops it quickly.
def hello(name):
    while True:
        pass
