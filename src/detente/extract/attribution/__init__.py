"""Learned attribution: a token tagger for source, cue and content spans, trained on PolNeAR.

``features`` turns a parsed paragraph into hashed token features, ``model`` is the thinc network
(hash embeddings plus the parser's own token vectors, a BiLSTM, a softmax over BIO tags),
``component`` the spaCy pipe that trains it and writes its spans, ``linking`` groups the spans
into attributions (a cue with its source and content pieces), and ``quotes`` turns those into
``Quote`` records and combines them with the rule-based quotes.
"""
