#pragma once
// A whole calibration fit run inside one worker process (twin-fitworker), next to the model: the solver's
// model runs make no round trip to the caller, which for a model that runs in a fraction of a millisecond is
// most of the fit's time. The process isolation stays: a model that crashes or hangs ends the worker, and
// the caller reports it as for any run. The caller sends the problem as the job's extension
// (WorkerProtocol.h) and gets the solver's outcome back (WorkerEvaluator::fitInWorker); uncertainty and
// metrics are then worked out by calibrate() as for a fit run from the caller.
#include "twin/model/simrunner/WorkerProtocol.h"

#include <string>

namespace twin::model::calibration {

// The fit worker's extension handler (twin-fitworker's main passes it to runSimWorker).
std::string serveWorkerFit(const nlohmann::json &extension, const sim::SimulationJob &job,
                           sim::WorkerContext &context, std::string &reply);

// Makes the fit worker's first fit as quick as its later ones, run while it waits for that fit: faults in the
// pages a fit's buffers take and runs a small fit in this process (the solver's code and the allocator's
// state warm).
void warmUpFitWorker();

} // namespace twin::model::calibration
