"""What the case tests share that is not a fixture."""

FAMILY_PHONE = "+12025550161"  # the family a case is opened for
