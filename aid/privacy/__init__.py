"""Privacy operations: retention and purging, the panic wipe, people's own data.

Features register what they keep in `aid.privacy.registry`; the pages live in
`aid.privacy.views` (its blueprint is `bp` there), so importing the registry or the
retention settings loads no page and no feature.
"""
