# expect: hello_greets_everyone=2
# reason: correct
# e2e: a correct answer that warns keeps its points (nbgrader scores any stderr as a failure)
# Correct, but emits DeprecationWarnings at import and in the handler: still full marks.
import warnings

warnings.warn("hello.py uses an old greeting style", DeprecationWarning, stacklevel=1)


def hello(name):
    warnings.warn("hello() will change its signature", DeprecationWarning, stacklevel=2)
    return f"Hello, {name}!"
