package cases

// SLACondition is slaCondition, for the plan tests.
var SLACondition = slaCondition

// RunningSQL is runningSQL, for the plan tests.
const RunningSQL = runningSQL
