package formats

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Limits of a Word file: the document part is read only when the zip says
// it is no larger than maxDocxXML, and reading stops there whatever the
// zip claims, so a zip bomb costs at most that much.
const (
	maxDocxXML     = 32 << 20
	maxDocxEntries = 10000
)

// ReadDocx reads the paragraphs of word/document.xml and hands them, one a
// line, to the text reader.
func ReadDocx(src []byte, name string) (*Result, error) {
	bad := func(msg string) error {
		return &Unreadable{Format: "docx", Problems: []Problem{{Field: "", Line: 0, Message: msg}}}
	}
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		return nil, bad("not a Word file (.docx is a zip archive): " + err.Error())
	}
	if len(zr.File) > maxDocxEntries {
		return nil, bad(fmt.Sprintf("the archive has %d parts; at most %d are read", len(zr.File), maxDocxEntries))
	}
	var part *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			part = f
		}
	}
	if part == nil {
		return nil, bad("the archive has no word/document.xml: not a Word document")
	}
	if part.UncompressedSize64 > maxDocxXML {
		return nil, bad(fmt.Sprintf("word/document.xml unpacks to %d bytes; at most %d are read", part.UncompressedSize64, maxDocxXML))
	}
	rc, err := part.Open()
	if err != nil {
		return nil, bad("word/document.xml cannot be opened: " + err.Error())
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxDocxXML+1))
	if err != nil {
		return nil, bad("word/document.xml cannot be unpacked: " + err.Error())
	}
	if len(data) > maxDocxXML {
		return nil, bad(fmt.Sprintf("word/document.xml unpacks to more than %d bytes", maxDocxXML))
	}
	paras, err := docxParagraphs(data)
	if err != nil {
		return nil, bad("word/document.xml is not well-formed XML: " + err.Error())
	}
	res, err := ReadText([]byte(strings.Join(paras, "\n")), name)
	if u, ok := err.(*Unreadable); ok {
		u.Format = "docx"
	}
	return res, err
}

// docxParagraphs returns the text of each w:p, tabs as tabs and breaks as
// line breaks. encoding/xml resolves no external entity and fetches nothing.
func docxParagraphs(data []byte) ([]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var paras []string
	var cur strings.Builder
	inText, inPara := false, false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				inPara = true
				cur.Reset()
			case "t":
				inText = true
			case "tab":
				cur.WriteByte('\t')
			case "br", "cr":
				cur.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "p":
				if inPara {
					paras = append(paras, cur.String())
				}
				inPara = false
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText {
				cur.Write(t)
			}
		}
	}
	return paras, nil
}
