"""German conventions the toolkit reads: dates, clock times, numbers and amounts, addresses.

One grammar for each, below both the reader (:mod:`toolkit.read`), which
finds datelines, embargoes and contact blocks with them, and the fact
recognizer (:mod:`toolkit.facts`), which marks them in running text. The
modules know how German releases write things; what counts as a fact, or
which line is a dateline, is for the layers above to decide.

- :mod:`toolkit.german.dates`: "19. April 2024", "15. Jänner", "19.04.2024", "10. bis 12. Oktober", "März 2025"
- :mod:`toolkit.german.times`: "10:00 Uhr", "9.30 Uhr", "14 bis 18 Uhr"
- :mod:`toolkit.german.numbers`: "1.250,50", "3,2 Milliarden", "13,50 €"
- :mod:`toolkit.german.addresses`: "presse [at] example.de", "0211 / 837-1134", "567-5504/-5514", "www.example.de"

The package imports nothing from the layers above it.
"""
