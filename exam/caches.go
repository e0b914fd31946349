package exam

import (
	"sync"
	"time"

	"examd/internal/cache"
)

// The store's caches, all on internal/cache (no allocation on a hit). Their
// keys, bounds and invalidation are listed once, in docs/design.md
// ("Caches"); keep that table true when one changes.
const (
	// versionCacheMax and versionTTL bound the parsed versions kept for
	// candidate views: the amending process forgets its entry, other
	// processes catch up within the TTL.
	versionCacheMax = 1000
	versionTTL      = time.Minute
	// scoringCacheMax bounds the versions kept for scoring with their row
	// stamp: a changed stamp means the row changed, so nothing goes stale.
	scoringCacheMax = 1000
	// viewCacheMax bounds the encoded candidate views (a few tens of
	// kilobytes each), keyed by document: a new document after an
	// amendment or a refresh gets a new entry.
	viewCacheMax = 200
	// drawViewCacheMax bounds the views of versions that draw, which
	// carry their pools encoded (about 1 MB for three pools of 1,000).
	drawViewCacheMax = 32
	// attemptCacheMax bounds the attempt identities (about 300 bytes each),
	// which never change.
	attemptCacheMax = 100000
	// invitationVersionCacheMax bounds the invitations' versions (about
	// 100 bytes each), which never change.
	invitationVersionCacheMax = 100000
	// responsesCacheMax bounds the attempts' responses objects (a few
	// kilobytes for 50 answers), checked against the database's summary
	// of the answers on every resume; an object over responsesEntryMax
	// is not kept (so at most 32 MB in all).
	responsesCacheMax = 4096
	responsesEntryMax = 8 << 10
)

type storeCaches struct {
	versions  *cache.Bounded[versionKey, *Document]
	scoring   *cache.Bounded[versionKey, stampedDoc]
	views     *cache.Bounded[viewKey, *viewJSON]
	drawViews *cache.Bounded[viewKey, *viewJSON]
	// drawBuild serializes the encoding of drawing versions' views (tens
	// of milliseconds for pools of thousands): under a start rush the
	// first starts would otherwise all encode the same view at once.
	drawBuild *sync.Mutex
	attempts  *cache.Bounded[string, *attemptIdentity]
	// invitationVersions maps an invitation to its exam version (an
	// invitation never changes version), learnt when its session opens,
	// so that a start is one statement.
	invitationVersions *cache.Bounded[string, invitationVersion]
	// responses holds attempts' responses objects by attempt id
	// (attemptcache.go, savedResponses).
	responses *cache.Bounded[string, *savedResponses]
}

func newStoreCaches() storeCaches {
	return storeCaches{
		versions:           cache.New[versionKey, *Document](versionCacheMax, versionTTL),
		scoring:            cache.New[versionKey, stampedDoc](scoringCacheMax, 0),
		views:              cache.New[viewKey, *viewJSON](viewCacheMax, 0),
		drawViews:          cache.New[viewKey, *viewJSON](drawViewCacheMax, 0),
		drawBuild:          new(sync.Mutex),
		attempts:           cache.New[string, *attemptIdentity](attemptCacheMax, 0),
		invitationVersions: cache.New[string, invitationVersion](invitationVersionCacheMax, 0),
		responses:          cache.New[string, *savedResponses](responsesCacheMax, 0),
	}
}

type versionKey struct {
	exam    string
	version int
}

type invitationVersion struct {
	examID  string
	version int
}

type viewKey struct {
	doc   *Document
	track string
}

// candidateView returns the encoded view of d (a document of the version
// cache) for track, encoding it on a miss. The view of a version that
// draws holds its pools too and serves every attempt of it (see
// viewJSON.appendView), in a cache of its own, smaller bound.
func (s *Store) candidateView(d *Document, track string) (*viewJSON, error) {
	c := s.views
	k := viewKey{d, track}
	if d.HasDraws() {
		c = s.drawViews
		if v, ok := c.Get(k); ok {
			return v, nil
		}
		s.drawBuild.Lock()
		defer s.drawBuild.Unlock()
	}
	if v, ok := c.Get(k); ok {
		return v, nil // maybe encoded while this one waited
	}
	v, err := newViewJSON(d, track)
	if err != nil {
		return nil, err
	}
	c.Put(k, v)
	return v, nil
}
