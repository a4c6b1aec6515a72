#pragma once
// From a detector's score (1 = its limit) to an alarm without chatter: the score is averaged over the last
// `smoothing` samples; the alarm is raised after `persistence` samples in a row above 1 and cleared after
// `persistence` samples in a row below `clearBelow` (hysteresis).
namespace twin::model::detect {

struct AlarmOptions
{
    int smoothing = 10;
    int persistence = 1;
    double clearBelow = 1.0;
};

class AlarmLogic
{
public:
    explicit AlarmLogic(const AlarmOptions &options = {});
    struct Step
    {
        double smoothed = 0; // NaN while no finite score has been seen
        bool alarm = false;
        bool raised = false;  // this sample raised it
        bool cleared = false; // this sample cleared it
    };
    // A non-finite score (a missing value) leaves the state as it is.
    Step push(double score);
    void reset();
    bool active() const { return m_alarm; }

private:
    AlarmOptions m_options;
    double m_window[256] = {};
    int m_filled = 0, m_next = 0;
    double m_sum = 0;
    int m_above = 0, m_below = 0;
    bool m_alarm = false;
};

} // namespace twin::model::detect
