"""The screen's bundled typeface: Atkinson Hyperlegible (SIL Open Font License 1.1, see OFL.txt).

Kept as a package so that the font files travel inside every install, wheel or editable, and the
screen never depends on what fonts a group's laptop happens to have.
"""
