# expect: hello_greets_everyone=0
# reason: app_crashed_at_start
# Asks for the name with input() as a script would: a process has no keyboard (EOFError at start).
name = input("What is your name? ")


def hello(name):
    return f"Hello, {name}!"
