package cases

// SLACondition is slaCondition, for the plan tests.
var SLACondition = slaCondition

// QueueStatesSQL is queueStatesSQL, for the plan tests.
var QueueStatesSQL = queueStatesSQL

// RunningSQL is runningSQL, for the plan tests.
const RunningSQL = runningSQL

// SLADays, KeptSLACount, PageIDs, RunningEveryPoint and RunningOrder are
// slaDays, keptSLACount, pageIDs, runningEveryPoint and runningOrder, for
// the plan tests.
var (
	SLADays           = slaDays
	KeptSLACount      = keptSLACount
	PageIDs           = pageIDs
	RunningEveryPoint = runningEveryPoint
)

const RunningOrder = runningOrder
