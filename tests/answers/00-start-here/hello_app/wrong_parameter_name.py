# expect: hello_greets_everyone=0
# reason: app_error
# The parameter is called person; requests pass name=..., so every call is a TypeError.
def hello(person):
    return f"Hello, {person}!"
