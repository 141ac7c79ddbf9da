"""What the voice tests share that is not a fixture: the hotline's number and a caller's."""

HOTLINE = "+12025550100"  # the network's hotline: the number Twilio texts and calls from
CALLER = "+12025550177"
