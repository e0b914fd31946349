// Package frontend embeds the built web app (frontend/dist, produced by
// `npm run build`) so that one examd binary serves it. On a clean clone
// without Node the folder holds only .gitkeep and the server answers the
// web routes with a short page saying how to build the app.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built app's files, rooted at dist/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees dist exists
	}
	return sub
}

// Built reports whether the embedded folder holds a built app.
func Built() bool {
	_, err := fs.Stat(Dist(), "index.html")
	return err == nil
}
