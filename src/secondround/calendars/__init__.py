"""Calendars in and invitations out: plain Python that does I/O, no Django.

``busy`` reads busy times from an iCal feed or a CalDAV server and turns weekly working
hours into free time; ``invitations`` writes ``.ics`` invitations and personal feeds.
"""
