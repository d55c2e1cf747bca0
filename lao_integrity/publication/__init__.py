"""Publication: what an organisation shows the public, without a login.

Publishing is an act of an executive on a signed document (services.publish); the date is kept and
a withdrawal is recorded, never a deletion. The kernel imports no domain app: each app registers
which of its models can be published (registry.register_publishable) and what its public sections
list for one organisation (registry.register_section); the public pages read them all."""
