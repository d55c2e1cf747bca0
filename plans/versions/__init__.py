"""The plan's frozen versions (ตั้งต้น, ฉบับปรับปรุง ครั้งที่ N): what each recorded, what changed
between two of them or since the last approval, and their pages and PDFs."""
