-- A document StAEDI refuses to write from what the order holds is set aside: a row with the reason
-- instead of a body, so the documents pass goes on to the ones behind it and does not try it again.
-- Deleting the row has it written on the next change of its order (after the data is put right).
ALTER TABLE edi_document ALTER COLUMN body DROP NOT NULL;
ALTER TABLE edi_document ADD COLUMN failure text;
ALTER TABLE edi_document ADD CONSTRAINT edi_document_body_or_failure CHECK ((body IS NULL) <> (failure IS NULL));
