// A shared library without the Twinworks entry points.
extern "C" __attribute__((visibility("default"))) int some_unrelated_function(void)
{
    return 42;
}
