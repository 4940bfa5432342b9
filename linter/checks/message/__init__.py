"""Checks on a whole message (.eml): its headers and MIME parts, not its HTML (the email
checks lint that). Each is ``fn(doc: MessageDocument, params, policy) -> Iterator[Hit]``."""
