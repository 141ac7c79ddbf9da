"""Stand-ins for the services Aid talks to, one copy for every test: a fake Twilio REST API
(`fake_twilio`), a real SMTP server (`smtp_server`), and their pytest fixtures (`fixtures`,
loaded for the whole suite by tests/conftest.py)."""
