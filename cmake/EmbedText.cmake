# Writes a C++ file defining twin::model::demoModelDtdl() returning the text of IN.
file(READ ${IN} _text)
file(WRITE ${OUT} "namespace twin::model {\nconst char *demoModelDtdl()\n{\n    return R\"twinembed(${_text})twinembed\";\n}\n} // namespace twin::model\n")
