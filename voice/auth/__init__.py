"""Sign-in for staff, council members and children: secrets, sessions, throttles, permissions."""
