#pragma once
// modelDescription.xml of an FMI 1.0, 2.0 or 3.0 FMU (co-simulation, model exchange or both), read with
// pugixml. FMI 1.0 variables are mapped onto the 2.0 terms (a "parameter" variability becomes a fixed
// parameter; "internal" causality becomes local; start with fixed="false" becomes initial="approx").
// Only what the importer and `twinctl fmu-info` need: identity, variables, units, default experiment, the
// interfaces with their capability flags, and the number of continuous states and event indicators.
// Text that is not valid UTF-8 (a Latin-1 description, say) is converted as Latin-1 with a warning.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace twin::fmi {

struct FmuVariable
{
    std::string name;
    std::uint32_t valueReference = 0;
    std::string type;        // "Real" (FMI 2) / "Float64", "Float32" (FMI 3), "Integer", "Boolean", ...
    std::string causality;   // parameter, calculatedParameter, input, output, local, independent, ...
    std::string variability; // constant, fixed, tunable, discrete, continuous
    std::string initial;     // exact, approx, calculated or empty
    std::optional<double> start;
    std::optional<std::string> startText; // String: its start; Binary: its start as hex digits
    std::string unit;                     // the variable's unit or its declared type's unit
    std::string description;
    bool isArray =
        false; // FMI 3 <Dimension>: not a scalar (its elements are listed as variables of their own)
    // FMI 3 arrays: the sizes (resolved from `start` or the structural parameter's start value; empty when
    // unresolved). An element variable "name[i]" / "name[i,j]" (row-major, from 1) has the array's value
    // reference, `arrayLength` elements in all and its own 0-based `element`.
    std::vector<std::size_t> dimensions;
    std::vector<std::pair<std::optional<std::size_t>, std::optional<std::uint32_t>>> rawDimensions;
    std::size_t arrayLength = 0, element = 0;
    bool negated = false; // FMI 1.0 negatedAlias: the value is minus that of its value reference
    bool isReal() const { return type == "Real" || type == "Float64" || type == "Float32"; }
    bool isString() const { return type == "String" && !isArray; }
    bool isBinary() const { return type == "Binary" && !isArray; }
    // A scalar the host can read and set as a number: reals, the integer types, Enumeration (its integer)
    // and Boolean (0 / 1). Strings, binaries, clocks and arrays are not.
    bool isNumeric() const
    {
        static const char *const kinds[] = {"Real",    "Float64", "Float32", "Integer", "Enumeration",
                                            "Boolean", "Int8",    "UInt8",   "Int16",   "UInt16",
                                            "Int32",   "UInt32",  "Int64",   "UInt64"};
        if (isArray)
            return false;
        for (const char *k : kinds)
            if (type == k)
                return true;
        return false;
    }
};

struct FmuUnit
{
    std::string name;
    std::string baseUnits; // "kg=1, m=2, s=-2" style summary of the BaseUnit exponents, empty when none
    // The BaseUnit as numbers: exponents of kg, m, s, A, K, mol, cd, rad, and value_SI = factor * v + offset.
    bool hasBaseUnit = false;
    std::array<int, 8> exponents{};
    double factor = 1, offset = 0;
};

struct FmuCapabilities
{
    bool canHandleVariableCommunicationStepSize = false;
    bool canGetAndSetFMUState = false;
    bool canSerializeFMUState = false;
    bool canBeInstantiatedOnlyOncePerProcess = false;
    bool needsExecutionTool = false;
    bool canInterpolateInputs = false;           // FMI 2
    bool hasEventMode = false;                   // FMI 3
    bool mightReturnEarlyFromDoStep = false;     // FMI 3
    std::optional<double> fixedInternalStepSize; // FMI 3
};

// The <ModelExchange> element.
struct FmuModelExchange
{
    bool present = false;
    std::string modelIdentifier;
    bool needsCompletedIntegratorStep = true; // FMI 2: !completedIntegratorStepNotNeeded; FMI 3 attribute
    bool canGetAndSetFMUState = false;
    bool canSerializeFMUState = false;
    bool canBeInstantiatedOnlyOncePerProcess = false;
};

struct FmuDescription
{
    int fmiMajor = 0;       // 1, 2 or 3
    std::string fmiVersion; // as written
    std::string modelName;
    std::string
        modelIdentifier; // of the CoSimulation element; of ModelExchange when there is no CoSimulation
    bool hasCoSimulation = false;
    FmuModelExchange modelExchange;
    // From ModelStructure: <Derivatives> (FMI 2) / <ContinuousStateDerivative> (FMI 3) entries, and
    // numberOfEventIndicators (FMI 2) / <EventIndicator> entries (FMI 3).
    std::size_t continuousStates = 0, eventIndicators = 0;
    // Whether an output may depend directly on an input (ModelStructure dependencies; no information means
    // it may). Masters use it to tell feedback through a step delay from an algebraic loop.
    bool directFeedthrough = true;
    std::string token; // FMI 2 guid / FMI 3 instantiationToken
    std::string description;
    std::string generationTool;
    std::optional<double> startTime, stopTime, tolerance, stepSize; // DefaultExperiment
    FmuCapabilities capabilities;
    std::vector<FmuUnit> units;
    std::vector<FmuVariable> variables;
    std::vector<std::string> warnings; // problems that did not stop reading

    const FmuVariable *find(const std::string &name) const;
};

// Parses the XML text. On failure returns false and sets `error` (pugixml's reason with the byte offset, or
// the missing element/attribute). `label` names the FMU in messages.
bool parseModelDescription(const std::string &xml, const std::string &label, FmuDescription &out,
                           std::string &error);

// Returns `text` as valid UTF-8: valid sequences are kept, every other byte is read as Latin-1.
std::string toValidUtf8(const std::string &text, bool *changed = nullptr);

} // namespace twin::fmi
