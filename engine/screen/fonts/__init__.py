"""The screen's bundled typefaces: Atkinson Hyperlegible (SIL Open Font License 1.1, see OFL.txt)
and, for the letters it lacks (Cyrillic, Arabic...), DejaVu Sans (Bitstream Vera and Arev
licences, see DejaVu-LICENSE.txt). FONTS.txt says where each came from.

Kept as a package so that the font files travel inside every install, wheel or editable, and the
screen never depends on what fonts a group's laptop happens to have.
"""
