"""The rights explorer: the seven principles and the UNCRC in a child's words, the
"Do you know your rights?" quiz, and "Ask a question". All public: no sign-in needed."""
