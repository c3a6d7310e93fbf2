"""Who is who: children's invitations, devices and sign-in."""
