"""The staff side of a submission: who may see it, the inbox, reading, replying, exporting."""
