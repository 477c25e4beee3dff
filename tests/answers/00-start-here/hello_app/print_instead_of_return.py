# expect: hello_greets_everyone=0
# reason: returned_none
# Prints the greeting instead of returning it: the user gets None (named by hello_diagnose).
def hello(name):
    print(f"Hello, {name}!")
