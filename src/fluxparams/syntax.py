class FluxSyntaxError(SyntaxError):
    pass
def parse(source):
    raise NotImplementedError
