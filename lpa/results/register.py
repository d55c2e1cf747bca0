"""What this sub-domain registers with the kernel at start-up (called from LpaConfig.ready())."""


def register() -> None:
    from . import documents

    documents.register()
