"""/verify/ (ตรวจสอบเอกสาร): anyone uploads a PDF or pastes its SHA-256 and learns whether the portal
issued it. The apps that freeze documents with a stored SHA-256 register a lookup from ready()
(registry.py); the uploaded file is hashed as it arrives and kept nowhere (uploads.py)."""
