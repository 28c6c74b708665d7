//! Participatory-budgeting tally (filled by the tally issue).
