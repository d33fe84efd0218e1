"""What checks.dropout says: the mistakes it names in lesson 03's ``MyDropout``."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "signature": {
            "es": "el constructor debe recibir la probabilidad de apagar cada unidad con el "
            "nombre «p», como «nn.Dropout(p=0.5)»: las celdas siguientes crean «MyDropout(p)».",
            "en": "the constructor must take the probability of dropping each unit under the "
            "name p, like nn.Dropout(p=0.5): the cells below build MyDropout(p).",
        },
        "not_module": {
            "es": "«MyDropout(p)» dio un «{kind}»; debe ser un módulo: "
            "«class MyDropout(nn.Module)», con «super().__init__()».",
            "en": "MyDropout(p) gave a {kind}; it must be a module: "
            "class MyDropout(nn.Module), with super().__init__().",
        },
        "uses_builtin": {
            "es": "usa el dropout de PyTorch («nn.Dropout», «F.dropout» o «torch.dropout»): "
            "el ejercicio es escribirlo tú, con la máscara y la escala.",
            "en": "it uses PyTorch's dropout (nn.Dropout, F.dropout or torch.dropout): the "
            "exercise is to write it yourself, with the mask and the scaling.",
        },
        "not_tensor": {
            "es": "devolvió un «{kind}»; se esperaba un tensor con la forma de la entrada.",
            "en": "it returned a {kind}; expected a tensor shaped like the input.",
        },
        "shape": {
            "es": "para una entrada de forma {shape} devolvió la forma {got}: la salida debe "
            "tener la forma de la entrada.",
            "en": "for an input of shape {shape} it returned shape {got}: the output must "
            "have the input's shape.",
        },
        "in_place": {
            "es": "modifica el tensor que recibe (una operación in situ como «x *= mascara» o "
            "«x.mul_()»): quien lo llama puede necesitarlo intacto. Crea un tensor nuevo "
            "(«x * mascara»).",
            "en": "it modifies the tensor it receives (an in-place operation such as "
            "x *= mask or x.mul_()): the caller may still need it. Make a new tensor "
            "(x * mask).",
        },
        "modes_swapped": {
            "es": "los modos están al revés: apaga unidades en modo evaluación y no hace nada "
            "en modo entrenamiento. El dropout actúa cuando «self.training» es True.",
            "en": "the modes are swapped: it drops units in evaluation mode and does nothing in "
            "training mode. Dropout acts when self.training is True.",
        },
        "eval_active": {
            "es": "en modo evaluación («model.eval()») sigue apagando unidades: debe devolver "
            "la entrada tal cual cuando «self.training» es False.",
            "en": "in evaluation mode (model.eval()) it keeps dropping units: it must return "
            "the input unchanged when self.training is False.",
        },
        "eval_changed": {
            "es": "en modo evaluación no devuelve la entrada tal cual. Con la escala "
            "1/(1 − p) aplicada al entrenar, al evaluar no hay que tocar nada.",
            "en": "in evaluation mode it does not return the input unchanged. With the "
            "1/(1 − p) scaling applied in training, evaluation leaves everything alone.",
        },
        "never_drops": {
            "es": "en modo entrenamiento no apaga ninguna unidad: con p = {p}, cada una debe "
            "quedar a cero con probabilidad {p}.",
            "en": "in training mode it drops no unit: with p = {p}, each one must become zero "
            "with probability {p}.",
        },
        "not_a_mask": {
            "es": "las unidades que sobreviven no quedan multiplicadas todas por el mismo "
            "número: multiplica la entrada por una máscara de ceros y unos y por 1/(1 − p).",
            "en": "the units that survive are not all multiplied by the same number: multiply "
            "the input by a mask of zeros and ones and by 1/(1 − p).",
        },
        "keep_probability": {
            "es": "con p = {p} apaga una fracción {got} de las unidades: apaga con "
            "probabilidad 1 − p. «p» es la probabilidad de **apagar** cada unidad "
            "(la máscara es «torch.rand_like(x) > p», o «>= p»).",
            "en": "with p = {p} it drops a fraction {got} of the units: it drops with "
            "probability 1 − p. p is the probability of **dropping** each unit (the mask is "
            "torch.rand_like(x) > p, or >= p).",
        },
        "wrong_fraction": {
            "es": "con p = {p} apaga una fracción {got} de las unidades; debería apagar "
            "alrededor de {p}.",
            "en": "with p = {p} it drops a fraction {got} of the units; it should drop about {p}.",
        },
        "no_scaling": {
            "es": "no escala las unidades que sobreviven: multiplícalas por 1/(1 − p) "
            "(aquí {expected}) para que el valor esperado de la salida sea la entrada.",
            "en": "it does not scale the units that survive: multiply them by 1/(1 − p) "
            "(here {expected}) so that the output's expected value is the input.",
        },
        "scale_p": {
            "es": "multiplica las unidades que sobreviven por p = {p}; la escala es "
            "1/(1 − p) = {expected}.",
            "en": "it multiplies the units that survive by p = {p}; the scale is "
            "1/(1 − p) = {expected}.",
        },
        "scale_inverse_p": {
            "es": "multiplica las unidades que sobreviven por 1/p = {got}; sobrevive una "
            "fracción 1 − p, así que la escala es 1/(1 − p) = {expected}.",
            "en": "it multiplies the units that survive by 1/p = {got}; a fraction 1 − p "
            "survives, so the scale is 1/(1 − p) = {expected}.",
        },
        "scale_keep": {
            "es": "multiplica las unidades que sobreviven por 1 − p = {got}; hay que "
            "**dividir** por 1 − p (escala {expected}).",
            "en": "it multiplies the units that survive by 1 − p = {got}; they must be "
            "**divided** by 1 − p (scale {expected}).",
        },
        "wrong_scale": {
            "es": "multiplica las unidades que sobreviven por {got}; con p = {p} la escala "
            "es 1/(1 − p) = {expected}.",
            "en": "it multiplies the units that survive by {got}; with p = {p} the scale is "
            "1/(1 − p) = {expected}.",
        },
        "shared_mask": {
            "es": "la máscara no se sortea unidad a unidad: todas las filas (o todas las "
            "columnas) del lote pierden las mismas posiciones. Sortéala con la forma "
            "completa de la entrada («torch.rand_like(x)»).",
            "en": "the mask is not drawn unit by unit: every row (or every column) of the "
            "batch loses the same positions. Draw it with the input's full shape "
            "(torch.rand_like(x)).",
        },
        "same_mask": {
            "es": "apaga las mismas unidades en cada llamada: la máscara debe sortearse de "
            "nuevo en cada «forward» (sin guardarla ni fijar la semilla dentro).",
            "en": "it drops the same units at every call: the mask must be drawn afresh in "
            "every forward (neither stored nor drawn after fixing the seed inside).",
        },
        "mean": {
            "es": "la media de muchas salidas sobre la misma entrada es {got} veces la "
            "entrada; el dropout conserva el valor esperado (1).",
            "en": "the mean of many outputs on the same input is {got} times the input; "
            "dropout preserves the expected value (1).",
        },
        "any_shape": {
            "es": "con una entrada de forma {shape} falló ({error}): el dropout debe "
            "funcionar con entradas de cualquier forma.",
            "en": "with an input of shape {shape} it failed ({error}): dropout must work on "
            "inputs of any shape.",
        },
        "no_grad": {
            "es": "la salida no lleva gradiente hasta la entrada (¿«torch.no_grad()», "
            "«.detach()» o «.data»?): el dropout está dentro de la red que se entrena.",
            "en": "no gradient reaches the input from the output (torch.no_grad(), "
            ".detach() or .data?): dropout sits inside the network being trained.",
        },
        "grad": {
            "es": "el gradiente que llega a la entrada no es el de la salida multiplicado por "
            "la máscara y la escala: solo las unidades que sobreviven deben recibirlo.",
            "en": "the gradient reaching the input is not the output's times the mask and "
            "the scale: only the units that survive must receive it.",
        },
    }
)
